"""Raw indicator names → canonical ids, and two stations' rows lined up by id.

names (cleaning) → spec (the TOML documents, packaged and users' own, merged) → taxonomy
(Taxonomy, MatchSettings, Match: the lookups) → align (NormalisedRow, roll-ups, two stations
side by side).
"""

from xlcompare.paths import USER_TAXONOMY_NAMES, find_user_taxonomy
from xlcompare.taxonomy.align import AlignedPair, NormalisedRow, align, derive_wholes, normalise
from xlcompare.taxonomy.names import clean_name, split_unit
from xlcompare.taxonomy.taxonomy import (
    Category,
    How,
    Indicator,
    Match,
    MatchSettings,
    Rollup,
    Taxonomy,
    default_taxonomy,
    taxonomy_for,
)

__all__ = [
    "USER_TAXONOMY_NAMES",
    "AlignedPair",
    "Category",
    "How",
    "Indicator",
    "Match",
    "MatchSettings",
    "NormalisedRow",
    "Rollup",
    "Taxonomy",
    "align",
    "clean_name",
    "default_taxonomy",
    "derive_wholes",
    "find_user_taxonomy",
    "normalise",
    "split_unit",
    "taxonomy_for",
]
