-- CreateTable
CREATE TABLE "ResultPhoto" (
    "id" SERIAL NOT NULL,
    "pledgeId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "bytes" BYTEA NOT NULL,
    "subscriberId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "savedAt" TIMESTAMP(3),

    CONSTRAINT "ResultPhoto_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ResultPhoto_pledgeId_item_idx" ON "ResultPhoto"("pledgeId", "item");

-- CreateIndex
CREATE INDEX "ResultPhoto_subscriberId_idx" ON "ResultPhoto"("subscriberId");

-- CreateIndex
CREATE INDEX "ResultPhoto_savedAt_at_idx" ON "ResultPhoto"("savedAt", "at");

