"""Two-factor authentication: TOTP devices and recovery codes (django-otp), the sign-in's second step and
the gate that keeps operators and members of organisations that require it out until they enrol."""
