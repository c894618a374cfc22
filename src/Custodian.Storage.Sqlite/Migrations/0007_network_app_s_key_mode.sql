-- Custodian schema 5 (SQLite): who receives a network's AppSKeys (join-server, network or network-clear).
-- Existing networks keep the behaviour they had: the Join Server keeps the AppSKey for the application server.
ALTER TABLE networks ADD COLUMN app_s_key_mode TEXT NOT NULL DEFAULT 'join-server';
