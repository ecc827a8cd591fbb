ALTER TABLE "events" ALTER COLUMN "data" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "data" SET DATA TYPE json USING "data"::json;--> statement-breakpoint
ALTER TABLE "events" ALTER COLUMN "data" SET DEFAULT '{}'::json;--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "score_state" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "score_state" SET DATA TYPE json USING "score_state"::json;--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "score_state" SET DEFAULT '{}'::json;
