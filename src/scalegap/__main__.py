from scalegap.cli import main

main()
