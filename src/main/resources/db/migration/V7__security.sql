-- People (console, HTTP Basic) and machine tokens (AIstock, Bearer). Passwords are bcrypt; tokens are kept only
-- as sha256, shown once when created.
CREATE TABLE rdagent_user (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username       varchar(64)  NOT NULL UNIQUE,
    password_hash  varchar(100) NOT NULL,
    role           varchar(20)  NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    enabled        boolean      NOT NULL DEFAULT true,
    created_at     timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE rdagent_token (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          varchar(64)  NOT NULL UNIQUE,
    token_sha256  char(64)     NOT NULL UNIQUE,
    role          varchar(20)  NOT NULL CHECK (role IN ('VIEWER', 'OPERATOR', 'ADMIN')),
    created_by    varchar(64),
    created_at    timestamptz  NOT NULL DEFAULT now(),
    revoked_at    timestamptz,
    last_used_at  timestamptz
);

-- Who changed what, when, from where: every write request through the API.
CREATE TABLE rdagent_audit (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz  NOT NULL DEFAULT now(),
    operator   varchar(64),
    method     varchar(10)  NOT NULL,
    path       varchar(500) NOT NULL,
    status     integer      NOT NULL,
    address    varchar(64)
);
CREATE INDEX rdagent_audit_at_idx ON rdagent_audit (id DESC);
