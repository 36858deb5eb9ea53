-- The in-process caller-ID index (server/callers/caller-index.ts) keeps every phone number's
-- owners in each server's memory. These statement-level triggers tell every server which numbers
-- to re-read after a commit: NOTIFY caller_index with the numbers, comma-separated, or '*' when a
-- statement touched too many for one payload (bulk loads): the servers then reload everything.
-- NOTIFY is delivered on commit only, so a rolled-back change is never announced.
CREATE OR REPLACE FUNCTION caller_index_notify(p_numbers text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	IF cardinality(p_numbers) = 0 THEN
		RETURN;
	END IF;
	-- 400 numbers of at most 16 characters, plus commas, stay under NOTIFY's 8000-byte payload.
	IF cardinality(p_numbers) > 400 THEN
		PERFORM pg_notify('caller_index', '*');
	ELSE
		PERFORM pg_notify('caller_index', array_to_string(ARRAY(SELECT DISTINCT unnest(p_numbers)), ','));
	END IF;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_phone_numbers_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(SELECT n.e164 FROM new_rows n LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_phone_numbers_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(SELECT o.e164 FROM old_rows o LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_phone_numbers_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		(SELECT o.e164 FROM old_rows o LIMIT 401) UNION ALL (SELECT n.e164 FROM new_rows n LIMIT 401)));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('caller_index', '*');
	RETURN NULL;
END
$$;
--> statement-breakpoint
-- Owners whose shown name changes: the numbers that show it. Deleted owners take their numbers
-- with them (ON DELETE CASCADE), which the phone_numbers triggers announce.
CREATE OR REPLACE FUNCTION caller_index_customers_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		WITH renamed AS (
			SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
			WHERE n.company_name IS DISTINCT FROM o.company_name)
		(SELECT p.e164 FROM renamed r JOIN phone_numbers p ON p.customer_id = r.id LIMIT 401)
		UNION ALL
		(SELECT p.e164 FROM renamed r JOIN contacts c ON c.customer_id = r.id
			JOIN phone_numbers p ON p.contact_id = c.id LIMIT 401)));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_contacts_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		SELECT p.e164 FROM new_rows n JOIN old_rows o ON o.id = n.id
			JOIN phone_numbers p ON p.contact_id = n.id
		WHERE (n.first_name, n.last_name, n.customer_id) IS DISTINCT FROM (o.first_name, o.last_name, o.customer_id)
		LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_prospects_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		SELECT p.e164 FROM new_rows n JOIN old_rows o ON o.id = n.id
			JOIN phone_numbers p ON p.prospect_id = n.id
		WHERE (n.first_name, n.last_name, n.company_name) IS DISTINCT FROM (o.first_name, o.last_name, o.company_name)
		LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_technicians_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		SELECT p.e164 FROM new_rows n JOIN old_rows o ON o.id = n.id
			JOIN phone_numbers p ON p.technician_id = n.id
		WHERE n.user_id IS DISTINCT FROM o.user_id
		LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION caller_index_users_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM caller_index_notify(ARRAY(
		SELECT p.e164 FROM new_rows n JOIN old_rows o ON o.id = n.id
			JOIN technicians t ON t.user_id = n.id
			JOIN phone_numbers p ON p.technician_id = t.id
		WHERE n.display_name IS DISTINCT FROM o.display_name
		LIMIT 401));
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER caller_index_phone_numbers_inserted AFTER INSERT ON phone_numbers
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION caller_index_phone_numbers_inserted();
--> statement-breakpoint
CREATE TRIGGER caller_index_phone_numbers_deleted AFTER DELETE ON phone_numbers
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION caller_index_phone_numbers_deleted();
--> statement-breakpoint
CREATE TRIGGER caller_index_phone_numbers_updated AFTER UPDATE ON phone_numbers
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_phone_numbers_updated();
--> statement-breakpoint
CREATE TRIGGER caller_index_phone_numbers_truncated AFTER TRUNCATE ON phone_numbers
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_truncated();
--> statement-breakpoint
CREATE TRIGGER caller_index_customers_updated AFTER UPDATE ON customers
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_customers_updated();
--> statement-breakpoint
CREATE TRIGGER caller_index_contacts_updated AFTER UPDATE ON contacts
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_contacts_updated();
--> statement-breakpoint
CREATE TRIGGER caller_index_prospects_updated AFTER UPDATE ON prospects
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_prospects_updated();
--> statement-breakpoint
CREATE TRIGGER caller_index_technicians_updated AFTER UPDATE ON technicians
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_technicians_updated();
--> statement-breakpoint
CREATE TRIGGER caller_index_users_updated AFTER UPDATE ON users
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION caller_index_users_updated();
