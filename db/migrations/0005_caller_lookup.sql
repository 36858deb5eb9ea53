-- Caller ID in one round trip and with a plan made once per connection. As a plain prepared
-- statement PostgreSQL kept re-planning it (its generic plan looks dearer than the custom one for
-- a number it already knows), which cost more than running it; a PL/pgSQL function keeps its
-- plan, and force_generic_plan makes that the first one. Names come from scalar subqueries on
-- primary keys, so the plan never depends on table sizes. See server/callers/callers.service.ts.
CREATE OR REPLACE FUNCTION caller_lookup(p_e164 text, p_suffix text)
RETURNS TABLE (
	match text,
	customer_id uuid,
	contact_id uuid,
	prospect_id uuid,
	technician_id uuid,
	raw text,
	customer_name text,
	contact_name text,
	contact_customer_id uuid,
	contact_company text,
	prospect_name text,
	prospect_company text,
	technician_name text
)
LANGUAGE plpgsql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	SELECT hits.match, hits.customer_id, hits.contact_id, hits.prospect_id, hits.technician_id, hits.raw,
		(SELECT o.company_name FROM customers o WHERE o.id = hits.customer_id),
		c.first_name || ' ' || c.last_name,
		c.customer_id,
		(SELECT cc.company_name FROM customers cc WHERE cc.id = c.customer_id),
		(SELECT nullif(concat_ws(' ', pr.first_name, pr.last_name), '') FROM prospects pr WHERE pr.id = hits.prospect_id),
		(SELECT pr.company_name FROM prospects pr WHERE pr.id = hits.prospect_id),
		(SELECT u.display_name FROM technicians t JOIN users u ON u.id = t.user_id WHERE t.id = hits.technician_id)
	FROM (
		(SELECT 'exact'::text AS match, p.customer_id, p.contact_id, p.prospect_id, p.technician_id, p.raw
			FROM phone_numbers p WHERE p.e164 = p_e164 LIMIT 10)
		UNION ALL
		(SELECT 'suffix'::text, p.customer_id, p.contact_id, p.prospect_id, p.technician_id, p.raw
			FROM phone_numbers p
			WHERE p_suffix IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM phone_numbers x WHERE x.e164 = p_e164)
				AND p.nsn_reversed ~>=~ p_suffix AND p.nsn_reversed ~<~ (p_suffix || ':')
			LIMIT 10)
	) hits
	LEFT JOIN contacts c ON c.id = hits.contact_id;
END
$$;
