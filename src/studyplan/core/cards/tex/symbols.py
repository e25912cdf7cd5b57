"""What each LaTeX command and character stands for, and how it behaves in a formula."""

from __future__ import annotations

import unicodedata
from functools import cache

# Ordinary symbols: letters, constants, dots.
ORD = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω", "partial": "∂", "nabla": "∇", "infty": "∞",
    "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱", "emptyset": "∅",
    "varnothing": "∅", "forall": "∀", "exists": "∃", "neg": "¬", "lnot": "¬", "ell": "ℓ",
    "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "angle": "∠", "triangle": "△",
    "%": "%", "$": "$", "&": "&", "#": "#", "_": "_", "backslash": "∖",
}  # fmt: skip
# Binary operators; the spaced ones get a space either side in a line.
BIN = {
    "cdot": "·", "times": "×", "div": "÷", "pm": "±", "mp": "∓", "circ": "∘", "odot": "⊙",
    "otimes": "⊗", "oplus": "⊕", "ast": "∗", "star": "⋆", "cup": "∪", "cap": "∩",
    "setminus": "∖", "land": "∧", "lor": "∨", "wedge": "∧", "vee": "∨", "bullet": "•",
}  # fmt: skip
SPACED_BIN = {"times", "pm", "mp", "cup", "cap"}
# Relations, always with a space either side.
REL = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "sim": "∼", "simeq": "≃", "equiv": "≡", "propto": "∝", "in": "∈", "notin": "∉",
    "ni": "∋", "subset": "⊂", "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "to": "→",
    "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "iff": "⟺", "Leftrightarrow": "⇔", "leftrightarrow": "↔", "implies": "⟹",
    "mapsto": "↦", "mid": "∣", "parallel": "∥", "perp": "⊥", "ll": "≪", "gg": "≫",
    "triangleq": "≜", "coloneqq": "≔", "uparrow": "↑", "downarrow": "↓", "models": "⊨",
    "vdash": "⊢", "cong": "≅", "prec": "≺", "succ": "≻",
}  # fmt: skip
# Marks that follow what they modify: A^\top, f\prime.
POSTFIX = {"top": "ᵀ", "intercal": "ᵀ", "prime": "′"}
OPEN = {"langle": "⟨", "lfloor": "⌊", "lceil": "⌈", "lVert": "‖", "lvert": "|", "{": "{"}
CLOSE = {"rangle": "⟩", "rfloor": "⌋", "rceil": "⌉", "rVert": "‖", "rvert": "|", "}": "}"}
# Bars that open or close depending on where they stand: |x|, \|w\|.
FENCE = {"|": "‖", "Vert": "‖", "vert": "|"}
SPACES = {",": " ", ";": " ", ":": " ", ">": " ", "!": "", " ": " ", "quad": "  ",
          "qquad": "    ", "enspace": " ", "thinspace": " "}  # fmt: skip
BIG = {"sum": "∑", "prod": "∏", "coprod": "∐", "int": "∫", "iint": "∬", "iiint": "∭",
       "oint": "∮", "bigcup": "⋃", "bigcap": "⋂", "bigoplus": "⨁", "bigotimes": "⨂"}  # fmt: skip
WORDS = {
    "log", "ln", "lg", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh",
    "arcsin", "arccos", "arctan", "max", "min", "sup", "inf", "lim", "det", "arg", "deg",
    "dim", "ker", "sigmoid", "Pr", "gcd", "sgn", "liminf", "limsup", "hom", "mod", "bmod",
}  # fmt: skip
# Operator names whose subscript goes underneath in a display formula: lim_{h→0}.
LIMIT_WORDS = {"lim", "max", "min", "sup", "inf", "argmax", "argmin", "liminf", "limsup",
               "Pr", "det", "gcd"}  # fmt: skip
# Sizing and style commands: meaningless in a terminal.
DROP = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
        "biggl", "biggr", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
        "middle", "nonumber", "notag"}  # fmt: skip
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
           "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "widehat": "\u0302",
           "widetilde": "\u0303", "check": "\u030c", "breve": "\u0306", "acute": "\u0301",
           "grave": "\u0300", "underline": "\u0332"}  # fmt: skip
# Text shown as written: \text gets a space either side, \mathrm does not.
TEXT = {"text", "textrm", "textbf", "textit", "textsf", "texttt", "mbox", "textnormal"}
ROMAN = {"mathrm", "mathit", "mathsf", "mathtt", "mathnormal"}
OPERATORNAME = {"operatorname", "operatorname*"}
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
BINOMIALS = {"binom", "dbinom", "tbinom"}
BOLD_COMMANDS = {"mathbf", "boldsymbol", "bm", "pmb"}
FONTS = {
    "mathbb": {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ", "1": "𝟙"},
    "mathcal": dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵", strict=True)),
}
# Environments, by the brackets they put around their rows (matrix: none).
MATRICES = {"matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
            "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"), "Vmatrix": ("‖", "‖"),
            "smallmatrix": ("", ""), "array": ("", "")}  # fmt: skip
ALIGNED = {"aligned", "align", "align*", "alignat", "alignat*", "split", "gathered",
           "gather", "gather*", "eqnarray", "eqnarray*"}  # fmt: skip
CASES = {"cases", "dcases"}
ENVIRONMENTS = set(MATRICES) | ALIGNED | CASES

SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχι",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡᶥ",
        strict=True,
    )
)
SUP.update({"ᵀ": "ᵀ", "′": "′", "*": "*", "∗": "*", " ": ""})
SUB = dict(
    zip(
        "0123456789+-=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)
SUB[" "] = ""

KNOWN = (
    set(ORD) | set(BIN) | set(REL) | set(POSTFIX) | set(OPEN) | set(CLOSE) | set(FENCE)
    | set(SPACES) | set(BIG) | WORDS | DROP | set(ACCENTS) | TEXT | ROMAN | OPERATORNAME
    | FRACTIONS | BINOMIALS | BOLD_COMMANDS | set(FONTS)
    | {"sqrt", "begin", "end", "\\", "not", "cr"}
)  # fmt: skip


@cache
def bold(char: str) -> str:
    """``char`` in Unicode mathematical bold (x, theta, 0 in bold), or itself if there is none."""
    if "A" <= char <= "Z":
        return chr(0x1D400 + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(0x1D41A + ord(char) - ord("a"))
    if "0" <= char <= "9":
        return chr(0x1D7CE + ord(char) - ord("0"))
    try:
        name = unicodedata.name(char)
    except ValueError:
        return char
    # GREEK SMALL LETTER THETA -> MATHEMATICAL BOLD SMALL THETA, NABLA -> MATHEMATICAL BOLD NABLA
    name = name.replace("GREEK ", "").replace(" LETTER", "")
    try:
        return unicodedata.lookup(f"MATHEMATICAL BOLD {name}")
    except KeyError:
        return char
