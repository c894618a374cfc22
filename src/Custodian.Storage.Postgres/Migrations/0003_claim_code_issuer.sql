-- Custodian schema 3 (PostgreSQL): who issued the current claim code.

-- NULL: the maker (the code of provisioning). Else the tenant that rotated the code on unclaiming: the code was
-- shown once to that tenant, and the maker, which holds the unclaimed device again, may not read it.
-- A nullable column without a default: no table rewrite.
ALTER TABLE devices ADD COLUMN claim_code_issuer text;
