-- CreateTable
CREATE TABLE "OfficerGrant" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "subscriberId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "inviteId" INTEGER,
    "grantedAt" DATETIME NOT NULL,
    "revokedAt" DATETIME,
    "revokedBy" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "OfficerGrant_inviteId_key" ON "OfficerGrant"("inviteId");

-- CreateIndex
CREATE INDEX "OfficerGrant_subscriberId_revokedAt_idx" ON "OfficerGrant"("subscriberId", "revokedAt");


-- Data: every officer invitation redeemed so far becomes a live grant of its unit; a person marked officer without
-- one (made officer by other means) is a member again — officer commands need a grant now.
INSERT INTO "OfficerGrant" ("subscriberId", "unitId", "inviteId", "grantedAt")
SELECT "usedById", "unitId", "id", "usedAt" FROM "InviteCode"
WHERE "role" = 'officer' AND "usedById" IS NOT NULL AND "usedAt" IS NOT NULL;

UPDATE "Subscriber" SET "role" = 'member'
WHERE "role" = 'officer' AND "id" NOT IN (SELECT "subscriberId" FROM "OfficerGrant" WHERE "revokedAt" IS NULL);
