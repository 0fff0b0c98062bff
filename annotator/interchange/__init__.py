"""Export and interchange: every format written from the Qt-free core (see registry)."""
