"""The input tables: each described once as data (:mod:`.schema`), checked by one validator
(:mod:`.validation`), and the bundled synthetic samples (:mod:`.samples`)."""
