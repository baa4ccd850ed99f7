"""The doctest value checker: printed spellings may differ, values may not."""
from doctest_values import same_values


def test_dtype_and_scalar_spellings_are_one_value():
    assert same_values("array([[1984, 1968]], dtype=bfloat16)",
                       "array([[1984, 1968]], dtype=dtype(bfloat16))")
    assert same_values("array([0.101562, 1, 288], dtype='float8_e4m3fn')",
                       "array([0.101562, 1., 288.], dtype=float8_e4m3fn)")
    assert same_values("1.5", "np.float64(1.5)")
    assert same_values("array([nan, -inf])", "array([nan, -inf])")


def test_a_different_value_or_dtype_fails():
    assert not same_values("array([1984, 1968], dtype=bfloat16)", "array([1984, 1969], dtype=bfloat16)")
    assert not same_values("array([1984], dtype=bfloat16)", "array([1984], dtype=float16)")
    assert not same_values("array([1, 2])", "array([1, 2, 3])")
    assert not same_values("('0.029',)", "('0.03',)")
    assert not same_values("array([nan])", "array([0.])")
