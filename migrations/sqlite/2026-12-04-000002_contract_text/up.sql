-- The contract's text as offered (terms and clauses, JSON of
-- navigator_shared::contract::ContractText): fixed at the offer, so what the
-- family accepted never changes when the program is edited later.
ALTER TABLE contracts ADD COLUMN text TEXT;
