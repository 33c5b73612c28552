"""Make-or-buy: cost a need in-house against third parties and a captive; save scenarios."""
