extension RandomAccessCollection where Index == Int {
    /// First index whose element satisfies a predicate that is false, then
    /// true, along the collection (binary search): where a time falls in
    /// candles sorted by open time.
    public func partitionIndex(where belongs: (Element) -> Bool) -> Int {
        var low = startIndex, high = endIndex
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
