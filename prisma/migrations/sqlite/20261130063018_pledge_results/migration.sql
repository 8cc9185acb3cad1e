-- CreateTable
CREATE TABLE "PledgeResult" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "pledgeId" INTEGER NOT NULL,
    "item" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "note" TEXT,
    "subscriberId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "PledgeResult_pledgeId_item_key" ON "PledgeResult"("pledgeId", "item");

