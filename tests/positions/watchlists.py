"""Test watchlists with invented actors, shared by the positions tests (no real names)."""

from __future__ import annotations

# Velmar, the Harbour Front and Ostrava over a truce for a harbour.
HARBOUR = """
[topic]
id = "harbour-truce"
label = "A truce over the harbour"

[scope]
include = ["harbour", "truce"]
exclude = []

[[actors]]
id = "velmar"
name = "Velmar"
kind = "state"
aliases = ["Velmar"]
adjectives = ["Velmari"]

[[actors.people]]
name = "Ada Korin"
short = ["Korin"]
titles = ["the Velmari president"]
role = "President of Velmar"

[[actors]]
id = "front"
name = "Harbour Front"
kind = "group"
aliases = ["the Front", "the Harbour Front"]

[[actors]]
id = "ostrava"
name = "Ostrava"
kind = "state"
aliases = ["Ostrava"]
adjectives = ["Ostravan"]

[[actors.people]]
name = "Lev Danner"
short = ["Danner"]
titles = ["the Ostravan envoy"]
role = "Envoy of Ostrava"

[[issues]]
id = "truce_deal"
label = "A truce over the harbour"
terms = ["truce", "truce offer", "truce proposal", "proposal", "offer", "plan"]
"""

# The Front said no to Velmar's offer; Velmar stands by it.
HARBOUR_SEED = (
    "The Harbour Front rejected Velmar's truce offer for the harbour on Monday. "
    "Velmar said it stood by its proposal."
)

# A ferry operator, a pilots' guild and two states over a lockout, a strike and a settlement.
FERRY = """
[topic]
id = "ferry-dispute"
label = "A ferry lockout and a harbour levy"

[scope]
include = ["ferry", "harbour", "Portmere", "guild"]
exclude = []

[[actors]]
id = "pilots"
name = "Harbour Pilots Guild"
kind = "group"
aliases = ["the guild", "the Harbour Pilots Guild", "the pilots"]

[[actors.people]]
name = "Mia Lund"
short = ["Lund"]

[[actors]]
id = "portmere"
name = "Portmere Lines"
kind = "group"
aliases = ["Portmere", "the operator"]
roles = ["the harbour master's office"]

[[actors.people]]
name = "Tom Hale"
short = ["Hale"]

[[actors]]
id = "northland"
name = "Northland"
kind = "state"
aliases = ["Northland", "the Northland States", "the Northland Council"]

[[actors]]
id = "southmark"
name = "Southmark"
kind = "state"
aliases = ["Southmark"]

[[issues]]
id = "deal"
label = "A settlement of the lockout"
terms = ["settlement", "deal", "agreement", "offer"]
for = ["ratif*"]

[[issues]]
id = "lockout"
label = "The lockout"
terms = ["lockout"]

[[issues]]
id = "walkout"
label = "The pilots' strike"
terms = ["strike", "pension"]
"""
