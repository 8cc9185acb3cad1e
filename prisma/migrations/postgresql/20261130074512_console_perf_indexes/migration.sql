-- DropIndex
DROP INDEX "Subscriber_unitId_idx";

-- CreateIndex
CREATE INDEX "Subscriber_unitId_status_idx" ON "Subscriber"("unitId", "status");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_status_unitId_kind_review_idx" ON "Pledge"("campaignId", "status", "unitId", "kind", "review");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_phaseNumber_status_kind_unitId_createdAt_idx" ON "Pledge"("campaignId", "phaseNumber", "status", "kind", "unitId", "createdAt");

-- CreateIndex
CREATE INDEX "Pledge_campaignId_status_kind_subscriberId_idx" ON "Pledge"("campaignId", "status", "kind", "subscriberId");

