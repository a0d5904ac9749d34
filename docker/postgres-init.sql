-- Temporal keeps its own databases next to Baton's (auto-setup creates their schemas).
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
