"""Print how the report parser's time grows with the size of its input (a script, not a test).

Parses synthetic reports of short lines at two sizes, the second twice the first, and prints each
time and their ratio: about 2 when the parser is linear, about 4 when it is quadratic.

    python -m workshop_qa.eval.parse_speed [--kilobytes 300] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import time

from workshop_qa.index.parse import ParseError, parse_report


def short_lines_report(size: int) -> str:
    """A report of about ``size`` characters: numbered paragraphs and lettered items separated by
    many short lines between blank lines, the shape that looks most like headings to the parser."""
    parts: list[str] = []
    length, number = 0, 1
    while length < size:
        block = [f"{number}. Paragraph {number} opens here.\n\n",
                 *(f"({letter}) An item of paragraph {number};\n\n" for letter in "abc"),
                 *(f"L{n}\n\n" for n in range(10))]
        parts += block
        length += sum(map(len, block))
        number += 1
    return "".join(parts)[:size]


def seconds_to_parse(text: str, rounds: int) -> float:
    """The fastest of ``rounds`` parses of ``text``, in seconds."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        with contextlib.suppress(ParseError):
            parse_report(text, "TEST/1")
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    """Parse at two sizes and print the times and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kilobytes", type=int, default=300, help="the smaller size (default 300)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    small, large = args.kilobytes * 1024, args.kilobytes * 2048
    times = [seconds_to_parse(short_lines_report(size), args.rounds) for size in (small, large)]
    print(f"{small // 1024} KB: {times[0]:.3f} s; {large // 1024} KB: {times[1]:.3f} s; "
          f"ratio {times[1] / times[0]:.2f} (2 is linear, 4 quadratic)")


if __name__ == "__main__":
    main()
