"""A deck file of many cards: code fronts, clozes, ids, formulas and tags."""


def deck_text(cards: int) -> str:
    """A deck file of ``cards`` cards: code fronts, clozes, ids, formulas and tags."""
    parts = ['+++\nname = "Big"\ntags = ["bench"]\n+++\n']
    for i in range(cards):
        if i % 4 == 0:
            parts.append(
                f"## What does snippet {i} print?\n\n```python\nprint({i} * 2)\n```\n\n---\n\n`{i * 2}`\n\n"
            )
        elif i % 4 == 1:
            parts.append(
                f"## Formula {i}\ntags: maths\n\nThe value of $x_{{{i}}}$ is {{{{c1::{i}}}}} and {{{{c2::$y^2$}}}}.\n\n"
            )
        else:
            parts.append(
                f"## Question number {i} about *topic* {i % 31}? {{#q{i}}}\n\nAnswer {i}, with `code` and $\\alpha_{{{i}}}$.\n\n"
            )
    return "".join(parts)
