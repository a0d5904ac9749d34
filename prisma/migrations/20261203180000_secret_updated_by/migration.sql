-- Who last stored a secret's value (the caller's e-mail), shown beside its name; never the value.
ALTER TABLE "secrets" ADD COLUMN "updated_by" TEXT;
