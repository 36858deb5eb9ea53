CREATE TYPE "public"."action_channel" AS ENUM('phone', 'email', 'portal', 'onsite', 'internal');--> statement-breakpoint
CREATE TYPE "public"."assignment_target" AS ENUM('operator', 'group', 'manual');--> statement-breakpoint
CREATE TYPE "public"."automatic_action" AS ENUM('remind_customer', 'close', 'notify');--> statement-breakpoint
CREATE TYPE "public"."automatic_trigger" AS ENUM('status_held', 'unassigned');--> statement-breakpoint
CREATE TYPE "public"."group_distribution" AS ENUM('queue', 'round_robin', 'least_loaded');--> statement-breakpoint
CREATE TYPE "public"."ticket_history_kind" AS ENUM('created', 'action', 'sla', 'rule');--> statement-breakpoint
CREATE TYPE "public"."ticket_origin" AS ENUM('phone', 'email', 'portal', 'contract', 'rule', 'manual');--> statement-breakpoint
CREATE TYPE "public"."ticket_priority" AS ENUM('urgent', 'high', 'normal', 'low');--> statement-breakpoint
CREATE TYPE "public"."ticket_status" AS ENUM('new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_parts', 'resolved', 'closed');--> statement-breakpoint
CREATE TYPE "public"."notification_event" AS ENUM('ticket_opened', 'ticket_assigned', 'ticket_closed', 'sla_warning', 'sla_breached');--> statement-breakpoint
CREATE TYPE "public"."notification_kind" AS ENUM('ticket_opened', 'ticket_assigned', 'ticket_closed', 'sla_warning', 'sla_breached', 'ticket_unassigned', 'customer_reminded', 'ticket_auto_closed', 'rule_notice', 'action_notice');--> statement-breakpoint
CREATE TABLE "action_reasons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"allowed_from" "ticket_status"[] DEFAULT '{}' NOT NULL,
	"allowed_roles" "role"[] DEFAULT '{}' NOT NULL,
	"effects" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"default_channel" "action_channel" DEFAULT 'internal' NOT NULL,
	"public" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "action_reasons_center_code" UNIQUE("service_center_id","code")
);
--> statement-breakpoint
CREATE TABLE "assignment_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" integer NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"target" "assignment_target" NOT NULL,
	"target_user_id" uuid,
	"target_group_id" uuid,
	"distribution" "group_distribution" DEFAULT 'queue' NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "automatic_rule_firings" (
	"rule_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"episode_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "automatic_rule_firings_rule_id_ticket_id_episode_at_pk" PRIMARY KEY("rule_id","ticket_id","episode_at")
);
--> statement-breakpoint
CREATE TABLE "automatic_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"name" text NOT NULL,
	"trigger" "automatic_trigger" NOT NULL,
	"status" "ticket_status",
	"after_minutes" integer NOT NULL,
	"business_time" boolean DEFAULT true NOT NULL,
	"action" "automatic_action" NOT NULL,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_rotations" (
	"group_id" uuid PRIMARY KEY NOT NULL,
	"last_user_id" uuid
);
--> statement-breakpoint
CREATE TABLE "ticket_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "ticket_categories_center_code" UNIQUE("service_center_id","code")
);
--> statement-breakpoint
CREATE TABLE "ticket_counters" (
	"service_center_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"last_value" integer NOT NULL,
	CONSTRAINT "ticket_counters_service_center_id_year_pk" PRIMARY KEY("service_center_id","year")
);
--> statement-breakpoint
CREATE TABLE "ticket_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" "ticket_history_kind" NOT NULL,
	"actor_id" uuid,
	"actor_name" text NOT NULL,
	"reason_id" uuid,
	"changes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"note" text,
	"public" boolean DEFAULT false NOT NULL,
	"channel" "action_channel",
	"version" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"service_center_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"contact_id" uuid,
	"machine_id" uuid,
	"contract_id" uuid,
	"service_level" "service_level",
	"origin" "ticket_origin" NOT NULL,
	"call_id" text,
	"title" text NOT NULL,
	"description" text,
	"priority" "ticket_priority" NOT NULL,
	"category_id" uuid,
	"status" "ticket_status" DEFAULT 'new' NOT NULL,
	"owner_id" uuid,
	"group_id" uuid,
	"created_by_id" uuid,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"queued_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"sla_policy_id" uuid,
	"sla_first_response_minutes" integer,
	"sla_resolution_minutes" integer,
	"sla_pauses" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sla_first_response_due_at" timestamp with time zone,
	"sla_first_response_warning_at" timestamp with time zone,
	"sla_first_responded_at" timestamp with time zone,
	"sla_first_response_warned" boolean DEFAULT false NOT NULL,
	"sla_first_response_breached" boolean DEFAULT false NOT NULL,
	"sla_resolution_due_at" timestamp with time zone,
	"sla_resolution_warning_at" timestamp with time zone,
	"sla_resolution_warned" boolean DEFAULT false NOT NULL,
	"sla_resolution_breached" boolean DEFAULT false NOT NULL,
	"sla_next_due_at" timestamp with time zone,
	"sla_next_check_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_number_unique" UNIQUE("number")
);
--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"config" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sla_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"calendar_id" uuid NOT NULL,
	"warning_share" real DEFAULT 0.75 NOT NULL,
	"pause_statuses" "ticket_status"[] DEFAULT '{waiting_customer}' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sla_policies_service_center_id_unique" UNIQUE("service_center_id")
);
--> statement-breakpoint
CREATE TABLE "sla_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"priority" "ticket_priority" NOT NULL,
	"service_level" "service_level",
	"first_response_minutes" integer NOT NULL,
	"resolution_minutes" integer NOT NULL,
	CONSTRAINT "sla_targets_policy_priority_level" UNIQUE NULLS NOT DISTINCT("policy_id","priority","service_level")
);
--> statement-breakpoint
CREATE TABLE "notification_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"service_center_id" uuid NOT NULL,
	"name" text NOT NULL,
	"event" "notification_event" NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recipients" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "notification_kind" NOT NULL,
	"ticket_id" uuid,
	"service_center_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "action_reasons" ADD CONSTRAINT "action_reasons_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_target_user_id_users_id_fk" FOREIGN KEY ("target_user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignment_rules" ADD CONSTRAINT "assignment_rules_target_group_id_service_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."service_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automatic_rule_firings" ADD CONSTRAINT "automatic_rule_firings_rule_id_automatic_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."automatic_rules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automatic_rule_firings" ADD CONSTRAINT "automatic_rule_firings_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automatic_rules" ADD CONSTRAINT "automatic_rules_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_rotations" ADD CONSTRAINT "group_rotations_group_id_service_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."service_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_rotations" ADD CONSTRAINT "group_rotations_last_user_id_users_id_fk" FOREIGN KEY ("last_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_categories" ADD CONSTRAINT "ticket_categories_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_categories" ADD CONSTRAINT "ticket_categories_parent_id_ticket_categories_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."ticket_categories"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_counters" ADD CONSTRAINT "ticket_counters_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_history" ADD CONSTRAINT "ticket_history_reason_id_action_reasons_id_fk" FOREIGN KEY ("reason_id") REFERENCES "public"."action_reasons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_machine_id_machines_id_fk" FOREIGN KEY ("machine_id") REFERENCES "public"."machines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_category_id_ticket_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."ticket_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_group_id_service_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."service_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_created_by_id_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_policies" ADD CONSTRAINT "sla_policies_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sla_targets" ADD CONSTRAINT "sla_targets_policy_id_sla_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."sla_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_service_center_id_service_centers_id_fk" FOREIGN KEY ("service_center_id") REFERENCES "public"."service_centers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_rules_center_idx" ON "assignment_rules" USING btree ("service_center_id","position");--> statement-breakpoint
CREATE INDEX "automatic_rule_firings_ticket_idx" ON "automatic_rule_firings" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "automatic_rules_center_idx" ON "automatic_rules" USING btree ("service_center_id");--> statement-breakpoint
CREATE INDEX "ticket_categories_parent_idx" ON "ticket_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "ticket_history_ticket_idx" ON "ticket_history" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "tickets_queue_center_idx" ON "tickets" USING btree ("service_center_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queue_owner_idx" ON "tickets" USING btree ("owner_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queue_group_idx" ON "tickets" USING btree ("group_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queue_to_take_idx" ON "tickets" USING btree ("group_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed') and owner_id is null;--> statement-breakpoint
CREATE INDEX "tickets_queue_to_assign_idx" ON "tickets" USING btree ("service_center_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed') and owner_id is null and group_id is null;--> statement-breakpoint
CREATE INDEX "tickets_queue_breached_idx" ON "tickets" USING btree ("service_center_id","sla_next_due_at","opened_at","id") WHERE status not in ('resolved', 'closed') and (sla_first_response_breached or sla_resolution_breached);--> statement-breakpoint
CREATE INDEX "tickets_sla_check_idx" ON "tickets" USING btree ("sla_next_check_at") WHERE sla_next_check_at is not null;--> statement-breakpoint
CREATE INDEX "tickets_status_held_idx" ON "tickets" USING btree ("service_center_id","status","status_changed_at") WHERE status not in ('resolved', 'closed');--> statement-breakpoint
CREATE INDEX "tickets_queued_idx" ON "tickets" USING btree ("service_center_id","queued_at") WHERE status not in ('resolved', 'closed') and owner_id is null;--> statement-breakpoint
CREATE INDEX "tickets_customer_idx" ON "tickets" USING btree ("customer_id","opened_at");--> statement-breakpoint
CREATE INDEX "tickets_machine_idx" ON "tickets" USING btree ("machine_id");--> statement-breakpoint
CREATE INDEX "sla_targets_policy_idx" ON "sla_targets" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "notification_rules_center_idx" ON "notification_rules" USING btree ("service_center_id","event");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "notifications_unread_idx" ON "notifications" USING btree ("user_id") WHERE read_at is null;