CREATE TYPE "public"."agent_state" AS ENUM('available', 'ringing', 'on_call', 'wrap_up', 'break', 'offline');--> statement-breakpoint
CREATE TYPE "public"."call_direction" AS ENUM('inbound', 'outbound', 'internal');--> statement-breakpoint
CREATE TYPE "public"."call_event_type" AS ENUM('offered', 'queued', 'ringing', 'answered', 'held', 'resumed', 'transferred', 'ended', 'abandoned', 'rejected', 'missed');--> statement-breakpoint
CREATE TYPE "public"."call_outcome" AS ENUM('answered', 'missed', 'rejected', 'abandoned', 'transferred');--> statement-breakpoint
CREATE TYPE "public"."call_party_kind" AS ENUM('customer', 'contact', 'prospect', 'technician');--> statement-breakpoint
CREATE TYPE "public"."call_source" AS ENUM('browser', 'pbx');--> statement-breakpoint
CREATE TYPE "public"."call_state" AS ENUM('queued', 'ringing', 'talking', 'held', 'ended');--> statement-breakpoint
CREATE TABLE "agent_state_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"state" "agent_state" NOT NULL,
	"reason" text,
	"call_id" uuid,
	"from" timestamp with time zone NOT NULL,
	"to" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "agent_states" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"state" "agent_state" NOT NULL,
	"reason" text,
	"since" timestamp with time zone NOT NULL,
	"call_id" uuid,
	"wrap_up_until" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "call_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" text NOT NULL,
	"call_id" uuid NOT NULL,
	"type" "call_event_type" NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"agent_id" uuid,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_events_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_key" text NOT NULL,
	"source" "call_source" NOT NULL,
	"external_id" text NOT NULL,
	"direction" "call_direction" NOT NULL,
	"from_raw" text NOT NULL,
	"from_e164" text,
	"to_raw" text NOT NULL,
	"to_e164" text,
	"caller_name" text,
	"verstat" text,
	"matched_kind" "call_party_kind",
	"matched_id" uuid,
	"customer_id" uuid,
	"contact_id" uuid,
	"agent_id" uuid,
	"queue" text,
	"state" "call_state" NOT NULL,
	"offered_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"talk_seconds" integer,
	"hold_seconds" integer DEFAULT 0 NOT NULL,
	"outcome" "call_outcome",
	"transferred_to" text,
	"disposition" text,
	"wrap_up_note" text,
	"ticket_ids" uuid[] DEFAULT '{}' NOT NULL,
	"handled_at" timestamp with time zone,
	"handled_by_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calls_call_key_unique" UNIQUE("call_key")
);
--> statement-breakpoint
DROP INDEX "phone_numbers_e164_idx";--> statement-breakpoint
DROP INDEX "phone_numbers_nsn_reversed_idx";--> statement-breakpoint
ALTER TABLE "agent_state_history" ADD CONSTRAINT "agent_state_history_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_state_history" ADD CONSTRAINT "agent_state_history_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_states" ADD CONSTRAINT "agent_states_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_states" ADD CONSTRAINT "agent_states_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_events" ADD CONSTRAINT "call_events_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_handled_by_id_users_id_fk" FOREIGN KEY ("handled_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_state_history_user_idx" ON "agent_state_history" USING btree ("user_id","from");--> statement-breakpoint
CREATE INDEX "call_events_call_idx" ON "call_events" USING btree ("call_id","at");--> statement-breakpoint
CREATE INDEX "calls_offered_idx" ON "calls" USING btree ("offered_at");--> statement-breakpoint
CREATE INDEX "calls_agent_idx" ON "calls" USING btree ("agent_id","offered_at");--> statement-breakpoint
CREATE INDEX "calls_customer_idx" ON "calls" USING btree ("customer_id","offered_at");--> statement-breakpoint
CREATE INDEX "calls_missed_idx" ON "calls" USING btree ("offered_at") WHERE outcome in ('missed', 'abandoned') and direction = 'inbound' and handled_at is null;--> statement-breakpoint
CREATE INDEX "phone_numbers_e164_idx" ON "phone_numbers" USING btree ("e164","customer_id","contact_id","prospect_id","technician_id","raw");--> statement-breakpoint
CREATE INDEX "phone_numbers_nsn_reversed_idx" ON "phone_numbers" USING btree ("nsn_reversed" text_pattern_ops,"customer_id","contact_id","prospect_id","technician_id","raw");