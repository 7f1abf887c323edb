"""`engage ideas`: the questions colleagues keep asking in the therapist's specialties, as ideas
for a short article. grouping is the pure core; asked reads the threads from the database."""
