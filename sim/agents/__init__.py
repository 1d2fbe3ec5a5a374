"""Agent types, one module each.

Resident state lives in arrays (``resident.py``); the institutional actors are array
tables (firms, organisations, grid workers, committees) read and written by the
mechanisms all at once. The government is the one Mesa agent. A resident can be
inspected one at a time through ``ResidentView`` / ``PartyMemberView``.
"""

from sim.agents.government import Government
from sim.agents.party_member import PartyMemberView
from sim.agents.resident import ResidentView

__all__ = ["Government", "PartyMemberView", "ResidentView"]
