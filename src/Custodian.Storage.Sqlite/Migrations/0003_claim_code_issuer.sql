-- Custodian schema 3 (SQLite): who issued the current claim code.

-- NULL: the maker (the code of provisioning). Else the tenant that rotated the code on unclaiming: the code was
-- shown once to that tenant, and the maker, which holds the unclaimed device again, may not read it.
ALTER TABLE devices ADD COLUMN claim_code_issuer TEXT;
