"""Matrix products with numpy's BLAS instead of blis, for every pipeline summitbot loads."""

from __future__ import annotations


def use_numpy_gemm(nlp):
    """Make the pipeline's layers multiply matrices with numpy (its bundled OpenBLAS) instead of blis.

    thinc's CPU ops call blis for every matrix product of the token-to-vector layers. The blis
    wheel picks its kernels by CPU; where it has none it runs its generic C reference kernel,
    three times slower than OpenBLAS on our CI machine (an AMD EPYC; bench/bench_extract.py
    prints the effect). The products are the same up to the order of float additions: tests compare
    the annotations token for token with the stock pipeline's. The parser's and the entity
    recognizer's per-step products are made inside spaCy's compiled code and keep blis.
    """
    from thinc.api import Model, NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops
    return nlp
