CREATE TABLE "devices" (
	"site_id" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"lead_id" text NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	CONSTRAINT "devices_site_id_anonymous_id_pk" PRIMARY KEY("site_id","anonymous_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"lead_id" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"session_id" text NOT NULL,
	"type" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"url" text,
	"path" text,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "events_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_merges" (
	"site_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"kind" text NOT NULL,
	"from_lead_id" text NOT NULL,
	"to_lead_id" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"event_id" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "lead_merges_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "lead_transitions" (
	"site_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"lead_id" text NOT NULL,
	"from_stage" text NOT NULL,
	"to_stage" text NOT NULL,
	"mql" boolean NOT NULL,
	"score" double precision NOT NULL,
	"cause" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "lead_transitions_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"email" text,
	"traits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"stage" text DEFAULT 'visitor' NOT NULL,
	"mql" boolean DEFAULT false NOT NULL,
	"mql_at" timestamp with time zone,
	"score" double precision DEFAULT 0 NOT NULL,
	"score_at" timestamp with time zone DEFAULT now() NOT NULL,
	"score_state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rules_version" integer DEFAULT 0 NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"merged_into" text,
	"stage_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leads_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "scoring_rules" (
	"site_id" text NOT NULL,
	"version" integer NOT NULL,
	"rules" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scoring_rules_site_id_version_pk" PRIMARY KEY("site_id","version")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"lead_id" text NOT NULL,
	"anonymous_id" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"landing_url" text,
	"referrer" text,
	"referrer_host" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"browser" text,
	"browser_version" text,
	"os" text,
	"os_version" text,
	"device_type" text,
	"locale" text,
	"screen" text,
	"timezone" text,
	"ip_prefix" text,
	CONSTRAINT "sessions_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"public_key" text NOT NULL,
	"secret_key_hash" text NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rules_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"webhook_id" text NOT NULL,
	"lead_id" text,
	"event_type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_status" integer,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"site_id" text NOT NULL,
	"id" text NOT NULL,
	"url" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"event_types" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhooks_site_id_id_pk" PRIMARY KEY("site_id","id")
);
--> statement-breakpoint
CREATE INDEX "devices_site_lead" ON "devices" USING btree ("site_id","lead_id");--> statement-breakpoint
CREATE INDEX "events_site_lead_ts" ON "events" USING btree ("site_id","lead_id","ts");--> statement-breakpoint
CREATE INDEX "lead_merges_site_to" ON "lead_merges" USING btree ("site_id","to_lead_id");--> statement-breakpoint
CREATE INDEX "lead_merges_site_from" ON "lead_merges" USING btree ("site_id","from_lead_id");--> statement-breakpoint
CREATE INDEX "lead_transitions_site_lead" ON "lead_transitions" USING btree ("site_id","lead_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "leads_site_email" ON "leads" USING btree ("site_id","email") WHERE email is not null and merged_into is null;--> statement-breakpoint
CREATE INDEX "leads_site_updated" ON "leads" USING btree ("site_id","updated_at","id");--> statement-breakpoint
CREATE INDEX "leads_site_stage" ON "leads" USING btree ("site_id","stage","updated_at","id");--> statement-breakpoint
CREATE INDEX "leads_site_mql" ON "leads" USING btree ("site_id","updated_at","id") WHERE mql and merged_into is null;--> statement-breakpoint
CREATE INDEX "sessions_site_lead" ON "sessions" USING btree ("site_id","lead_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_public_key" ON "sites" USING btree ("public_key");--> statement-breakpoint
CREATE UNIQUE INDEX "sites_secret_key_hash" ON "sites" USING btree ("secret_key_hash");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_site_webhook" ON "webhook_deliveries" USING btree ("site_id","webhook_id","created_at");