-- CreateTable
CREATE TABLE "Evaluation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "campaignId" INTEGER NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "pledgeId" INTEGER NOT NULL,
    "unitId" INTEGER NOT NULL,
    "fullName" TEXT NOT NULL,
    "titleKey" TEXT,
    "reason" TEXT,
    "proposedById" INTEGER NOT NULL,
    "proposedAt" DATETIME NOT NULL,
    "decision" TEXT,
    "decidedTitle" TEXT,
    "decidedById" INTEGER,
    "decidedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "Evaluation_unitId_idx" ON "Evaluation"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_campaignId_subscriberId_key" ON "Evaluation"("campaignId", "subscriberId");

