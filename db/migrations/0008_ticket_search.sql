CREATE INDEX "tickets_title_trgm" ON "tickets" USING gin ("title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tickets_number_trgm" ON "tickets" USING gin ("number" gin_trgm_ops);