"""Writes for vetting and the compliance passport: keyword-only, atomic, validated with full_clean.

Every service checks who acts: the capacities come from `kpo.vetting.access.vetting_capacities`. Each
change to a vetting record is one `VettingEvent` and one audit entry (`vetting_changed`; verifications
`credential_verified`), and the expert's profile status follows the record (`services.status`).
"""
