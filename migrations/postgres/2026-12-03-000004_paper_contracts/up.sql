-- A contract signed on paper (seed 004: «Получите подписанное заявление на обучение и
-- подтвердите зачисление»): the day it was signed, registered by the organization.
ALTER TABLE contracts ADD COLUMN signed_on_paper DATE;
