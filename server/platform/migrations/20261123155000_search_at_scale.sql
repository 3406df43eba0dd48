-- Search at a million records (issue 3): exact look-ups (email, phone, external id,
-- postcode) read their index in constituent order, so a value shared by thousands of
-- records (a switchboard number, a block of flats' postcode) stops after one page instead
-- of visiting every owner. The trigram index on the whole name is unused since name search
-- goes through name_words and the lexicon; dropping it makes every insert cheaper.
CREATE INDEX constituent_emails_lookup ON constituent_emails (office_id, email, constituent_id);
DROP INDEX constituent_emails_email;
CREATE INDEX constituent_phones_lookup ON constituent_phones (office_id, phone_e164, constituent_id);
DROP INDEX constituent_phones_phone;
CREATE INDEX constituent_external_ids_lookup ON constituent_external_ids (office_id, value, constituent_id);
DROP INDEX constituent_external_ids_value;
CREATE INDEX constituent_addresses_postcode_lookup ON constituent_addresses (office_id, postcode_key, constituent_id);
DROP INDEX constituent_addresses_postcode;
DROP INDEX constituents_search_name;
