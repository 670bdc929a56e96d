"""The one numeric comparison for Python tests and checks: the twin of
Tests/ConveyorTestSupport/NumericComparison.swift (docs/testing.md). Keep them alike.

A value matches its expected value when
  - both are NaN (a NaN the producer wrote must be reproduced, nothing else);
  - both are the same infinity (an infinity is never "close" to anything else);
  - both are finite and |actual - expected| <= max(absolute, relative * |expected|).
Everything else fails: NaN against a number either way, an infinity against a finite
value or the other infinity, a missing value (None), text that does not parse as a
number (never read as NaN), and a count mismatch. No max()/min() over differences:
max(x, nan) is x.

    from numeric_compare import compare
    result = compare(actual, expected, absolute=1e-6, columns=4, label="probabilities")
    if not result.matches: print(result)

Run this file to test it.
"""
import math

_MISSING = object()


class _Unparsable:
    def __init__(self, text):
        self.text = text

    def __str__(self):
        return f'unparsable "{str(self.text)[:40]}"'


def parse(value):
    """A number from a float, an int or text (Python's float syntax: "1.5", "nan",
    "-inf", surrounding spaces allowed); None is missing; anything else (an empty
    string, a bool, "abc") stays unparsable."""
    if value is None:
        return _MISSING
    if isinstance(value, bool):
        return _Unparsable(value)
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (str, bytes)):
        try:
            return float(value)
        except ValueError:
            return _Unparsable(value)
    try:  # numpy scalars and the like
        return float(value)
    except (TypeError, ValueError):
        return _Unparsable(value)


def mismatch(actual, expected, absolute=0.0, relative=0.0):
    """None when the two parsed values match, else why not."""
    if actual is _MISSING:
        return "actual value missing"
    if expected is _MISSING:
        return "expected value missing"
    if isinstance(actual, _Unparsable):
        return "actual value is not a number"
    if isinstance(expected, _Unparsable):
        return "expected value is not a number"
    if math.isnan(actual) or math.isnan(expected):
        if math.isnan(actual) and math.isnan(expected):
            return None
        return "expected NaN, got a number" if math.isnan(expected) else "got NaN, expected a number"
    if math.isinf(actual) or math.isinf(expected):
        return None if actual == expected else "infinities must match exactly"
    difference = abs(actual - expected)
    if math.isinf(difference):
        return "difference overflows"
    allowed = absolute if absolute >= relative * abs(expected) else relative * abs(expected)
    return None if difference <= allowed else f"difference {difference!r} > {allowed!r}"


def _show(value):
    if value is _MISSING:
        return "missing"
    return str(value) if isinstance(value, _Unparsable) else repr(value)


class Comparison:
    def __init__(self, actual, expected, absolute=0.0, relative=0.0, columns=None, label=""):
        actual, expected = list(actual), list(expected)
        self.label, self.columns = label, columns if columns and columns > 0 else None
        self.absolute, self.relative = absolute, relative
        self.actual_count, self.expected_count = len(actual), len(expected)
        self.first = None
        self.mismatches = 0
        self.worst, self.worst_index = 0.0, None
        for index in range(min(len(actual), len(expected))):
            a, e = parse(actual[index]), parse(expected[index])
            reason = mismatch(a, e, absolute, relative)
            if isinstance(a, float) and isinstance(e, float) and math.isfinite(a) and math.isfinite(e):
                difference = abs(a - e)
                if self.worst_index is None or difference > self.worst or not math.isfinite(difference):
                    self.worst, self.worst_index = difference, index
            if reason is not None:
                self.mismatches += 1
                if self.first is None:
                    self.first = (index, a, e, reason)

    @property
    def counts_match(self):
        return self.actual_count == self.expected_count

    @property
    def matches(self):
        return self.counts_match and self.mismatches == 0

    def __bool__(self):
        return self.matches

    def position(self, index):
        if self.columns is None:
            return f"value {index}"
        return f"row {index // self.columns}, column {index % self.columns}"

    def __str__(self):
        parts = []
        if not self.counts_match:
            parts.append(f"count mismatch: got {self.actual_count} values, expected {self.expected_count}")
        if self.first is not None:
            index, a, e, reason = self.first
            parts.append(f"{self.mismatches} of {min(self.actual_count, self.expected_count)} values differ; "
                         f"first at {self.position(index)}: got {_show(a)}, expected {_show(e)} ({reason})")
        if not parts:
            parts.append(f"{self.actual_count} values match")
        worst = (f"worst finite difference {self.worst!r} at {self.position(self.worst_index)}"
                 if self.worst_index is not None else "no finite pair compared")
        prefix = f"{self.label}: " if self.label else ""
        return (prefix + "; ".join(parts) + "; " + worst
                + f" (tolerance absolute {self.absolute}, relative {self.relative})")


def compare(actual, expected, absolute=0.0, relative=0.0, columns=None, label=""):
    """Compares two sequences (numbers, numeric text, None for missing) pairwise."""
    return Comparison(actual, expected, absolute, relative, columns, label)


def _self_test():
    inf, nan = math.inf, math.nan
    assert compare([1, 2.0000005], [1, 2], absolute=1e-6)
    assert compare([], [])
    assert compare([nan, inf, -inf], [nan, inf, -inf])
    assert compare(["0.25", " 1e-3", "nan", "-inf"], [0.25, 0.001, nan, -inf], absolute=1e-6)
    failing = [
        ([1, 2.001], [1, 2], dict(absolute=1e-6)),
        ([nan], [0.5], dict(absolute=1e-6)),
        ([0.5], [nan], dict(absolute=1e-6)),
        ([nan] * 200, [0.25] * 200, dict(absolute=math.inf)),
        ([1e308], [inf], dict(relative=1e-9)),
        ([5.0], [inf], dict(absolute=1e-6, relative=0.5)),
        ([inf], [1e308], dict(relative=1)),
        ([-inf], [inf], dict(absolute=math.inf)),
        ([inf], [nan], {}),
        ([1.7976931348623157e308], [-1.7976931348623157e308], dict(relative=2)),
        ([1, 2], [1, 2, 3], dict(absolute=1e-6)),
        ([1, 2, 3], [1, 2], dict(absolute=1e-6)),
        ([], [1], {}),
        ([1, None], [1, 2], dict(absolute=1e-6)),
        ([1, 2], [1, None], dict(absolute=1e-6)),
        ([None], [None], {}),
        (["0.25", "abc"], [0.25, nan], dict(absolute=1e-6)),
        ([""], [nan], {}),
        (["1"], ["one"], {}),
        ([True], [1.0], {}),
        ([1e-3], [0], dict(relative=1e-9)),
    ]
    for actual, expected, tolerance in failing:
        result = compare(actual, expected, **tolerance)
        assert not result.matches, (actual, expected, tolerance, str(result))
    message = str(compare([0.1, 0.2, 0.3, 0.4, 0.5, 0.9], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], absolute=1e-6,
                          columns=3, label="p"))
    assert message.startswith("p: 1 of 6 values differ; first at row 1, column 2"), message
    assert "worst finite difference" in message, message
    assert "unparsable \"abc\"" in str(compare(["abc"], [1.0])), str(compare(["abc"], [1.0]))
    assert "count mismatch: got 2 values, expected 3" in str(compare([1, 2], [1, 2, 3]))
    print(f"numeric_compare: {len(failing)} failure modes fail, matching sequences match")


if __name__ == "__main__":
    _self_test()
