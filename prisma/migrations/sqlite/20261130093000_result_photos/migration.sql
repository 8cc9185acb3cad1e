-- CreateTable
CREATE TABLE "ResultPhoto" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pledgeId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BLOB NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    "savedAt" DATETIME
);

-- CreateIndex
CREATE INDEX "ResultPhoto_pledgeId_item_idx" ON "ResultPhoto"("pledgeId", "item");

-- CreateIndex
CREATE INDEX "ResultPhoto_subscriberId_idx" ON "ResultPhoto"("subscriberId");

-- CreateIndex
CREATE INDEX "ResultPhoto_savedAt_at_idx" ON "ResultPhoto"("savedAt", "at");

