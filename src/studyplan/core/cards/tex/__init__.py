"""LaTeX formulas as a parse tree, shown as one line of Unicode or laid out in two dimensions.

``parse`` turns a formula into a tree (``nodes``), ``linear`` writes the tree as
one line for running text, ``layout`` lays it out as a block of lines for a
display formula, and ``checks`` says when a rendering reads wrongly. The
markdown side (finding formulas in card text) lives in ``cards.latex``.
"""
