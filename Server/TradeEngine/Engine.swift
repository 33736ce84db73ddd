public enum TradeEngineModule {}
