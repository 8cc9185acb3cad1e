-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Pledge" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "campaignId" INTEGER NOT NULL,
    "phaseNumber" INTEGER NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "unitId" INTEGER,
    "fullName" TEXT NOT NULL,
    "position" TEXT,
    "commitment" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "review" TEXT NOT NULL DEFAULT 'pending',
    "reviewNote" TEXT,
    "reviewedById" INTEGER,
    "reviewedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Pledge" ("campaignId", "code", "commitment", "createdAt", "fullName", "id", "kind", "phaseNumber", "position", "status", "subscriberId", "unitId", "updatedAt") SELECT "campaignId", "code", "commitment", "createdAt", "fullName", "id", "kind", "phaseNumber", "position", "status", "subscriberId", "unitId", "updatedAt" FROM "Pledge";
DROP TABLE "Pledge";
ALTER TABLE "new_Pledge" RENAME TO "Pledge";
CREATE UNIQUE INDEX "Pledge_code_key" ON "Pledge"("code");
CREATE INDEX "Pledge_campaignId_phaseNumber_idx" ON "Pledge"("campaignId", "phaseNumber");
CREATE INDEX "Pledge_subscriberId_idx" ON "Pledge"("subscriberId");
CREATE INDEX "Pledge_unitId_idx" ON "Pledge"("unitId");
CREATE INDEX "Pledge_review_unitId_idx" ON "Pledge"("review", "unitId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

