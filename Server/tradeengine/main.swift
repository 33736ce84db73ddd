print("tradeengine")
