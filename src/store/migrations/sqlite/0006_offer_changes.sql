-- The change sequence of job offers: every insert or update of an offer adds a row, in the same
-- transaction, so each app process can bring its in-memory search index up to date by reading
-- the rows after the last sequence it has seen.
CREATE TABLE offer_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  offer_id INTEGER NOT NULL
);
CREATE TRIGGER offers_changed_ins AFTER INSERT ON offers
BEGIN
  INSERT INTO offer_changes (offer_id) VALUES (NEW.id);
END;
CREATE TRIGGER offers_changed_upd AFTER UPDATE ON offers
BEGIN
  INSERT INTO offer_changes (offer_id) VALUES (NEW.id);
END;
