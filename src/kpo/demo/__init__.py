"""The demo world: organisations, the named accounts, generated experts, engagements and their material,
commercials, vetting, quality, SLAs, confidentiality and compliance data, all from one seed.

A plain package, not a Django app: it sits on the top layer and only the site's commands and sign-in
page, the tests and the benchmarks import it.
"""
