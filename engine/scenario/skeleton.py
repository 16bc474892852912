"""The commented scenario skeleton `guidelines new` writes: every field, its allowed values, the schema line."""

from __future__ import annotations

from .vocab import (
    AREA_KINDS,
    CEASEFIRES,
    COMBATS,
    CONFLICTS,
    EVENT_TYPES,
    FACILITY_ITEMS,
    LOGISTIC_ITEMS,
    MINE_STATUSES,
    STATUSES,
    TOWARDS,
    VESSELS,
    WHOS,
)

TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A scenario for `guidelines evaluate`. Lines marked (optional) may be deleted;
# commented lines show more fields: uncomment what your situation needs.
scenario: New scenario                 # a title
description: >-                        # (optional) what happens, in a few sentences
  Describe the situation here.
# date: 2005-03-08                     # (optional) YYYY-MM-DD
situation:
  important_influence: true            # Japan's determination that the situation will have an
                                       # important influence on its peace and security: true | false
  armed_attack_on_japan: false         # (optional) true: Section IV governs Japan's own defence
  un_sanctions_resolution: false       # (optional) a UN Security Council sanctions resolution
  # survival_threatening: false        # (optional) a survival-threatening situation (2015 law)
  # ceasefire: none                    # (optional) {ceasefires}
us_forces:                             # (optional)
  operating: false                     # operating for the Security Treaty's objectives: true | false
  requests: []                         # each an item, or {{item, area}} naming where it is given:
                                       #   facilities (always inside Japan): {facilities}
                                       #   logistic support: {logistic}
  # requests:
  #   - civilian_airports              # a facility: always inside Japan
  #   - supplies                       # logistic support given inside Japan
  #   - {{item: transport, area: east_china_sea}}  # given in that area
# other_forces:                        # (optional) other countries' forces (UN Charter objectives)
#   operating: true
#   requests: [supplies]
areas:                                 # (optional) the places of the scenario
  - id: east_china_sea                 # lowercase letters, digits and _; unique in the file
    name: East China Sea               # (optional) display name
    kind: high_seas                    # {kinds}
    combat: none                       # {combats}
    consent: false                     # the state's consent (foreign areas): true | false
  # - id: waters_off_taiwan
  #   kind: foreign
  #   consent: true
  #   adjacent_to: east_china_sea      # (optional, foreign areas) the area its territorial sea borders
events:                                # (optional) what happens; types: {types}
  - type: persons_in_distress
    area: east_china_sea               # the id of an area above
    who: noncombatants                 # {whos}
    # rescue_under_way: false          # (optional) a rescue had begun when combat came
  # - type: mines
  #   area: east_china_sea
  #   status: abandoned                # {statuses}
  #   conflict: current                # (optional) {conflicts}
  # - type: sanctions_shipping
  #   area: east_china_sea
  #   flag_state_consent: false        # true | false
  #   vessels: merchant                # {vessels}
  # - type: refugee_flow
  #   toward: japan                    # {towards}
  # - type: evacuation                 # noncombatants evacuated to Japan
# expect:                              # (optional) verdicts to pin, checked by `guidelines test`
#   search_and_rescue: applies         # {verdicts}
#   surveillance:
#     status: applies
#     areas: {{east_china_sea: applies}}
#   logistic_support:
#     requests:                        # item, item@area; other: for other forces' requests
#       supplies: applies
#       transport@east_china_sea: applies
"""

# Appended by `guidelines new --phases`.
PHASES = """\
phases:                                # (optional) the crisis as it unfolds, phase by phase; each phase
                                       # states only what changes from the one before it (the first
                                       # phase: from the fields above), and is evaluated on its own date;
                                       # a top-level `expect:` then checks the last phase
  - id: tension                        # lowercase letters, digits and _; unique in the file
    name: Tension rises                # (optional) display name
    date: 2005-03-08                   # (optional) YYYY-MM-DD; without one, the date before it
    situation:                         # (optional) the situation fields that change; the rest stay
      important_influence: false
    areas:                             # (optional) areas that change: by id, the fields given
      - {{id: east_china_sea, combat: expected}}
    events: []                         # (optional) a list replaces the one before; []: no events
    # us_forces:                       # (optional) what changes about U.S. (or other_forces) forces
    #   operating: true
    #   requests:                      # a list of requests replaces the one before
    #     - supplies
    #     - {{item: transport, area: east_china_sea}}
    # expect:                          # (optional) verdicts to pin in this phase, as above
    #   surveillance: applies
  - id: fighting
    name: Fighting breaks out
    date: 2005-03-20
    situation: {{important_influence: true}}
    areas:
      - {{id: east_china_sea, combat: ongoing}}
      # - {{id: okinawa, kind: japan}}   # a new area: give its kind
    events:
      - {{type: persons_in_distress, area: east_china_sea, who: combatants}}
"""


def skeleton(schema: str = "scenario.schema.json", *, phases: bool = False) -> str:
    """The skeleton text for a new scenario, its schema line pointing at `schema` (a path relative to the
    scenario's folder); with `phases`, two phases too."""
    return (TEMPLATE + (PHASES if phases else "")).format(
        schema=schema,
        facilities=", ".join(FACILITY_ITEMS),
        logistic=", ".join(LOGISTIC_ITEMS),
        kinds=" | ".join(AREA_KINDS),
        combats=" | ".join(COMBATS),
        types=", ".join(EVENT_TYPES),
        whos=" | ".join(WHOS),
        statuses=" | ".join(MINE_STATUSES),
        conflicts=" | ".join(CONFLICTS),
        ceasefires=" | ".join(CEASEFIRES),
        vessels=" | ".join(VESSELS),
        towards=" | ".join(TOWARDS),
        verdicts=" | ".join(STATUSES),
    )
