-- The change sequence of job offers (see the SQLite version for the idea).
CREATE TABLE offer_changes (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  offer_id BIGINT NOT NULL
);
CREATE FUNCTION offers_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO offer_changes (offer_id) VALUES (NEW.id);
  RETURN NULL;
END;
$$;
CREATE TRIGGER offers_changed AFTER INSERT OR UPDATE ON offers
  FOR EACH ROW EXECUTE FUNCTION offers_changed();
