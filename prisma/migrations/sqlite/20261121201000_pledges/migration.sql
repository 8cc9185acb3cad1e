-- CreateTable
CREATE TABLE "Pledge" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PledgeItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pledgeId" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "key" TEXT,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "targetDate" TEXT,
    "anniversaryKey" TEXT,
    CONSTRAINT "PledgeItem_pledgeId_fkey" FOREIGN KEY ("pledgeId") REFERENCES "Pledge" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PledgeEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pledgeId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" TEXT NOT NULL DEFAULT '{}',
    CONSTRAINT "PledgeEvent_pledgeId_fkey" FOREIGN KEY ("pledgeId") REFERENCES "Pledge" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Pledge_code_key" ON "Pledge"("code");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_phaseNumber_idx" ON "Pledge"("campaignId", "phaseNumber");

-- CreateIndex
CREATE INDEX "Pledge_subscriberId_idx" ON "Pledge"("subscriberId");

-- CreateIndex
CREATE INDEX "Pledge_unitId_idx" ON "Pledge"("unitId");

-- CreateIndex
CREATE INDEX "PledgeItem_pledgeId_idx" ON "PledgeItem"("pledgeId");

-- CreateIndex
CREATE INDEX "PledgeEvent_pledgeId_idx" ON "PledgeEvent"("pledgeId");

