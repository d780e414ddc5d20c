"""The app's widgets, each in its own module."""
