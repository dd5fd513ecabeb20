"""Metadata routing of LassoCV / ElasticNetCV: exactly scikit-learn's LassoCV (its own requests
for fit's and score's sample_weight, and the splitter's), side by side with scikit-learn."""

import numpy as np
import pytest
import sklearn
import sklearn.linear_model as sklm
from sklearn.datasets import load_diabetes
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.model_selection import GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skreg import ElasticNetCV, LassoCV

TIGHT = dict(tol=1e-10, max_iter=100_000)
PAIRS = [(LassoCV, sklm.LassoCV), (ElasticNetCV, sklm.ElasticNetCV)]


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


def _data():
    X, y = load_diabetes(return_X_y=True)
    sw = np.random.RandomState(0).uniform(0.1, 5.0, size=len(y))
    return X, y, sw


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_get_metadata_routing_is_sklearns(routing, ours, theirs):
    for request in [None, True, False]:
        a, b = ours(cv=3), theirs(cv=3)
        if request is not None:
            a.set_fit_request(sample_weight=request).set_score_request(sample_weight=request)
            b.set_fit_request(sample_weight=request).set_score_request(sample_weight=request)
        assert str(a.get_metadata_routing()) == str(b.get_metadata_routing())
    routing_repr = LassoCV().set_fit_request(sample_weight=False).get_metadata_routing()
    assert routing_repr._serialize()["$self_request"]["fit"] == {"sample_weight": False}


def test_pipeline_does_not_send_weights_unrequested(routing):
    X, y, sw = _data()
    pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=True),
                         LassoCV(**TIGHT).set_fit_request(sample_weight=False))
    fitted = pipe.fit(X, y, sample_weight=sw)[-1]
    Xt = StandardScaler().fit(X, sample_weight=sw).transform(X)
    unweighted = sklm.LassoCV(**TIGHT).fit(Xt, y)  # what the last step must see
    weighted = sklm.LassoCV(**TIGHT).fit(Xt, y, sample_weight=sw)
    assert fitted.alpha_ == pytest.approx(unweighted.alpha_, rel=1e-12)
    assert fitted.alpha_ != pytest.approx(weighted.alpha_, rel=1e-3)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_score_request_is_honoured_by_cross_validate(routing, ours, theirs):
    X, y, sw = _data()
    scores = {}
    for request in [True, False]:
        for cls in (ours, theirs):
            est = cls(cv=3, **TIGHT).set_fit_request(sample_weight=True)
            est.set_score_request(sample_weight=request)
            scores[request, cls] = cross_validate(est, X, y, params={"sample_weight": sw},
                                                  cv=3)["test_score"]
        np.testing.assert_allclose(scores[request, ours], scores[request, theirs], rtol=1e-6)
    assert not np.allclose(scores[True, ours], scores[False, ours], rtol=1e-4)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_unrequested_weights_raise_as_sklearn(routing, ours, theirs):
    X, y, sw = _data()
    for cls in (ours, theirs):
        with pytest.raises(UnsetMetadataPassedError, match=r"\[sample_weight\]"):
            cross_validate(cls(cv=3), X, y, params={"sample_weight": sw}, cv=3)
        with pytest.raises(TypeError, match="unexpected argument.*foo"):
            cls(cv=3).fit(X, y, foo=1)
        with pytest.raises(TypeError, match="unexpected argument.*sample_weight"):
            cls(cv=3).set_fit_request(sample_weight=False).fit(X, y, sample_weight=sw)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_groups_routed_to_the_splitter(routing, ours, theirs):
    X, y, sw = _data()
    groups = np.arange(len(y)) % 7
    a = ours(alphas=10, cv=GroupKFold(4), **TIGHT).fit(X, y, sample_weight=sw, groups=groups)
    b = theirs(alphas=10, cv=GroupKFold(4), **TIGHT).fit(X, y, sample_weight=sw, groups=groups)
    np.testing.assert_allclose(a.mse_path_, b.mse_path_, rtol=1e-5)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_extra_fit_params_rejected_up_front_without_routing(ours, theirs, monkeypatch):
    X, y, _ = _data()
    groups = np.arange(len(y)) % 7
    for cls in (ours, theirs):
        with pytest.raises(ValueError, match="only supported if enable_metadata_routing=True"):
            cls(cv=GroupKFold(3)).fit(X, y, groups=groups)
    # up front: not a single fold is fitted before the error
    import skreg._path_search as path_search

    def no_fit(*args, **kwargs):
        raise AssertionError("fitted before rejecting the parameter")
    monkeypatch.setattr(path_search, "fit_and_score_path", no_fit)
    with pytest.raises(ValueError, match="Extra parameters passed are: {'foo'}"):
        ours(cv=3).fit(X, y, foo=1)
