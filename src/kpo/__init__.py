"""kpo: an open, self-hostable platform for knowledge process outsourcing."""
