-- Clientele schema, version 8: a personal calendar feed (iCalendar) of each user's follow-up plans.
-- The feed URL carries a secret token instead of a login (calendar apps cannot log in); only its
-- SHA-256 is stored, it is shown once, and making a new one replaces the old.
CREATE TABLE calendar_tokens (
  user_id bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
