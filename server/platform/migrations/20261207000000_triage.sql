-- Triage (issue 6): the office's ordered rules, its settings (how sure the classifier must be
-- before it acts alone, who is on duty for urgent matters), the classifier's models (each
-- version kept, so a decision names the model that made it) and one decision per inbound
-- item or case saying what triage saw and did, and why.

-- ---------------------------------------------------------------- rules
CREATE TABLE triage_rules (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT false,
  -- every condition given must hold (contract/triage.ts ZTriageConditions)
  conditions jsonb NOT NULL DEFAULT '{}',
  -- what a match does, in a fixed order (ZTriageActions)
  actions jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (office_id, id)
);
CREATE INDEX triage_rules_order ON triage_rules (office_id, position, id);

-- ---------------------------------------------------------------- settings
CREATE TABLE triage_settings (
  office_id uuid PRIMARY KEY REFERENCES offices(id),
  -- the classifier's category is applied without a person at or above this confidence; null: never
  auto_apply_threshold real CHECK (auto_apply_threshold IS NULL OR (auto_apply_threshold > 0 AND auto_apply_threshold <= 1)),
  -- an applied category's approved reply is sent at once
  auto_reply boolean NOT NULL DEFAULT false,
  -- who is alerted at once about urgent or safeguarding content (else every manager and admin)
  on_duty_user_id uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (office_id, on_duty_user_id) REFERENCES users(office_id, id) ON DELETE SET NULL (on_duty_user_id)
);

-- ---------------------------------------------------------------- models
CREATE TABLE triage_models (
  office_id uuid NOT NULL REFERENCES offices(id),
  version integer NOT NULL CHECK (version > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- manual (on demand, by whom), nightly
  trigger text NOT NULL CHECK (trigger IN ('manual', 'nightly')),
  trained_on integer NOT NULL CHECK (trained_on >= 0),
  classes integer NOT NULL CHECK (classes >= 0),
  -- held-out figures: accuracy, coverage at 90 / 95 % precision, train time
  metrics jsonb NOT NULL DEFAULT '{}',
  -- the serialized model, gzipped (triage.model.ts serialize)
  model bytea NOT NULL,
  PRIMARY KEY (office_id, version)
);

-- ---------------------------------------------------------------- decisions
CREATE TABLE triage_decisions (
  office_id uuid NOT NULL REFERENCES offices(id),
  id uuid NOT NULL DEFAULT uuid_generate_v7(),
  inbound_item_id uuid,
  case_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  language text CHECK (length(language) <= 35),
  urgent boolean NOT NULL DEFAULT false,
  -- the terms that matched: [{kind, severity, term, language}]
  urgency jsonb NOT NULL DEFAULT '[]',
  urgency_version text,
  -- the classifier's suggestion
  model_version integer,
  suggested_category_id uuid,
  confidence real,
  -- what set the category: a rule, the model (at or above the threshold), or nothing
  category_source text CHECK (category_source IN ('rule', 'model')),
  applied_category_id uuid,
  threshold real,
  -- the rules that matched, in order, with what each did: [{id, name, actions}]
  rules jsonb NOT NULL DEFAULT '[]',
  spam boolean NOT NULL DEFAULT false,
  -- the approved reply sent: {templateId, version, language, messageId} or null, and why not when not
  auto_reply jsonb,
  -- a member of staff later chose another category (the classifier was wrong) or kept it
  corrected_category_id uuid,
  PRIMARY KEY (office_id, id),
  FOREIGN KEY (office_id, inbound_item_id) REFERENCES inbound_items(office_id, id) ON DELETE CASCADE,
  FOREIGN KEY (office_id, case_id) REFERENCES cases(office_id, id) ON DELETE SET NULL (case_id),
  FOREIGN KEY (office_id, model_version) REFERENCES triage_models(office_id, version),
  FOREIGN KEY (office_id, suggested_category_id) REFERENCES categories(office_id, id) ON DELETE SET NULL (suggested_category_id),
  FOREIGN KEY (office_id, applied_category_id) REFERENCES categories(office_id, id) ON DELETE SET NULL (applied_category_id)
);
-- One decision per item, and per case opened without an item.
CREATE UNIQUE INDEX triage_decisions_item ON triage_decisions (office_id, inbound_item_id) WHERE inbound_item_id IS NOT NULL;
CREATE INDEX triage_decisions_case ON triage_decisions (office_id, case_id) WHERE case_id IS NOT NULL;
CREATE INDEX triage_decisions_recent ON triage_decisions (office_id, created_at DESC);

-- The language detected in each message.
ALTER TABLE inbound_items ADD COLUMN language text CHECK (length(language) <= 35);
