-- The keys an agency receives packages with (key agreement, JWK "use": "enc"), kept apart from the keys it signs
-- requests with: a signing key is never used to encrypt, and an agency that signs with Ed25519 can still receive.
create table disclosure_encryption_key (
    agency_id   uuid          not null references accounts_agency (id),
    kid         varchar(200)  not null,
    jwk         varchar(2000) not null,   -- the public key only
    added_by    varchar(100)  not null,
    added_at    timestamp with time zone not null,
    revoked_at  timestamp with time zone,
    primary key (agency_id, kid)
);
