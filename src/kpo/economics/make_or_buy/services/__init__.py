"""Make-or-buy services: the model's inputs, the comparison, and saving scenarios."""
